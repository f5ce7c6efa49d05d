/** Pharos chaos. */
package io.pharos.chaos;
