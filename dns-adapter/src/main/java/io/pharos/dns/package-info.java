/** Pharos dns. */
package io.pharos.dns;
