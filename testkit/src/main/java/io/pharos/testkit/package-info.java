/** Pharos testkit. */
package io.pharos.testkit;
