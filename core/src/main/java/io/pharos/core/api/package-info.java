/**
 * The operator API's credentials as text, shared by the controllers (which check them), the CLI
 * (which issues them) and the test kit (which makes throwaway ones): roles, the named-token file
 * and the break-glass recovery codes. Pure: no I/O.
 */
package io.pharos.core.api;
