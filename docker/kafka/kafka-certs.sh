#!/usr/bin/env bash
# Makes the cluster's TLS material once, with the JDK's keytool: a certificate authority, and for each broker a
# PKCS12 key store whose certificate names the broker, localhost and 127.0.0.1. Run by compose's one-shot
# kafka-certs service before any broker starts; a second run finds the authority and changes nothing.
#   KAFKA_CERT_HOSTS  the brokers' names, space separated (default: kafka-1 kafka-2 kafka-3)
# Writes, into /var/lib/kafka/certs (the brokers' volume, owner only): ca.p12, <host>.p12, store-password;
# into /var/lib/kafka/trust (mounted read-only by every client): ca.pem, the certificate clients trust.
set -euo pipefail
umask 077
certs="${KAFKA_CERTS_DIR:-/var/lib/kafka/certs}"
trust="${KAFKA_TRUST_DIR:-/var/lib/kafka/trust}"
hosts="${KAFKA_CERT_HOSTS:-kafka-1 kafka-2 kafka-3}"
# Complete: the trusted certificate is written last, after every host's key store.
complete=yes
for host in $hosts; do [[ -s "$certs/$host.p12" ]] || complete=no; done
if [[ "$complete" == yes && -s "$trust/ca.pem" ]]; then
  echo "kafka-certs: the authority and every key store exist; nothing to do"
  exit 0
fi
# An interrupted run, or a host added since: everything anew (the brokers restart with the new key stores).
rm -f "$certs"/*.p12 "$certs"/*.csr "$certs"/*.crt "$certs/store-password" "$trust/ca.pem"
head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$certs/store-password"
# Through the environment, never on a command line that `ps` shows.
STORE_PASSWORD="$(cat "$certs/store-password")"
export STORE_PASSWORD
store() { local command="$1"; shift; keytool "$command" -storetype PKCS12 -storepass:env STORE_PASSWORD "$@"; }
store -genkeypair -alias ca -dname "CN=Meadow Kafka CA" -keyalg EC -groupname secp256r1 -validity 3650 \
  -ext bc:c -keystore "$certs/ca.p12"
store -exportcert -rfc -alias ca -keystore "$certs/ca.p12" -file "$certs/ca.crt"
for host in $hosts; do
  store -genkeypair -alias "$host" -dname "CN=$host" -keyalg EC -groupname secp256r1 -validity 3650 \
    -keystore "$certs/$host.p12"
  store -certreq -alias "$host" -keystore "$certs/$host.p12" -file "$certs/$host.csr"
  store -gencert -alias ca -keystore "$certs/ca.p12" -infile "$certs/$host.csr" -outfile "$certs/$host.crt" -rfc \
    -validity 3650 -ext "SAN=dns:$host,dns:localhost,ip:127.0.0.1" -ext KU=digitalSignature \
    -ext EKU=serverAuth,clientAuth
  store -importcert -noprompt -alias ca -keystore "$certs/$host.p12" -file "$certs/ca.crt"
  store -importcert -noprompt -alias "$host" -keystore "$certs/$host.p12" -file "$certs/$host.crt"
  rm -f "$certs/$host.csr" "$certs/$host.crt"
done
umask 022
cp "$certs/ca.crt" "$trust/ca.pem.tmp"
chmod 644 "$trust/ca.pem.tmp"
mv "$trust/ca.pem.tmp" "$trust/ca.pem"
rm -f "$certs/ca.crt"
echo "kafka-certs: an authority and key stores for: $hosts"
