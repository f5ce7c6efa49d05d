/**
 * Amazon Route 53 through aws-sdk-java-v2 (URL-connection HTTP client): weighted record sets per
 * region, one change batch per decision with the fencing TXT swap, GetChange until INSYNC.
 */
package io.pharos.dns.route53;
