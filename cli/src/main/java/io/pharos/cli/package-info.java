/** Pharos cli. */
package io.pharos.cli;
