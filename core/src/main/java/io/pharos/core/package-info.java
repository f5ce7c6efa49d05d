/** Pharos core. */
package io.pharos.core;
