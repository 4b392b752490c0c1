#!/usr/bin/env bash
# Installs the Debian packages the platform needs, once. Usage: system-deps.sh [run|test|bench]
set -euo pipefail
purpose=${1:-run}

packages=(postgresql-15 postgresql-15-postgis-3 postgresql-contrib gdal-bin libgdal32 libgeos-c1v5 libproj25)
# Debian's own python3 needs python3-venv for `python3 -m venv`.
python3 -c "import ensurepip" 2>/dev/null || packages+=(python3-venv)
case "$purpose" in
  test)
    # python3-qgis + qgis-providers: QGIS itself (WFS, OAPIF, vector tiles) in tests/geoportal/ogc.
    packages+=(chromium fonts-dejavu-core python3-qgis qgis-providers)
    command -v npm >/dev/null || packages+=(npm)  # axe-core for the accessibility checks
    ;;
  # qgis-providers: the WFS and OAPIF providers the QGIS client load bench drives.
  bench) packages+=(qgis-server python3-qgis qgis-providers) ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them as root, then run make again:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
