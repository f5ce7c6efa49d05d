/** Pharos controller. */
package io.pharos.controller;
