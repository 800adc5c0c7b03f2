#!/usr/bin/env bash
# Installs the real peers LesionLink's tests talk to (Debian packages only).
# Idempotent: packages already present are left alone.
set -euo pipefail

PACKAGES=(
  # DICOM peers
  dcmtk dicom3tools orthanc orthanc-dicomweb python3-pydicom
  # OpenIGTLink reference library (C++, protocol v2) and a toolchain to build test peers against it
  libopenigtlink-dev openigtlink-examples cmake g++
  # Python references used by the tests (Debian's /usr/bin/python3)
  python3-numpy python3-nibabel python3-scipy python3-pytest python3-torch
  # The real Colin27 brain MRI template and a browser for report screenshots
  mricron-data chromium
  # Throw-away certificates for the TLS tests (dcmtk's +tls and Python's ssl use OpenSSL), curl as an HTTPS client
  openssl curl
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-peers: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-test-peers: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
