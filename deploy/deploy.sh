#!/bin/sh
# Publish a built site as a new release and switch to it atomically.
#
#   deploy/deploy.sh [--keep N] OUTPUT TARGET    publish OUTPUT (normally output/)
#   deploy/deploy.sh --rollback [RELEASE] TARGET  switch back (default: the release before the live one)
#   deploy/deploy.sh --list TARGET                list the releases, the live one marked
#   deploy/deploy.sh --check OUTPUT               only check that OUTPUT may be published
#
# TARGET is a local folder or user@host:/folder (rsync over SSH; ssh options
# such as the key and port in $DEPLOY_SSH, e.g. "ssh -i avain -p 2222").
# On the target:
#   releases/20260127T051500Z-1a2b3c4/   one folder per release, kept: the newest N (default 5)
#   current -> releases/...              the live site: point the web server's document root here
# A release is uploaded beside the live one (files unchanged since the live
# release are hard links to it), then `current` is replaced in one rename, so
# visitors see either the old site or the new one, never a mix. Nothing is
# published when the last build failed (strict_build leaves
# .OUTPUT.problems.json beside the output) or when OUTPUT is not a production
# build: its build record (OUTPUT/.build.json, written by every build) must say
# "mode": "production" (a development build's members' section opens with the
# README's passwords). The release is named by the record's commit. Needs a
# POSIX shell, rsync and GNU mv (-T) on both sides.
set -eu

keep=${DEPLOY_KEEP:-5}
ssh_command=${DEPLOY_SSH:-ssh}

fail() {
  printf '%s\n' "Julkaisu keskeytyi: $*" >&2
  exit 1
}

usage() {
  sed -n '3,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# 'a b' -> "'a b'": an argument for the remote shell, quoted once.
quote() {
  printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# Run a shell snippet in the target folder, over ssh when the target is remote.
on_target() {
  snippet="cd $(quote "$folder") && $1"
  if [ -n "$host" ]; then
    $ssh_command "$host" "$snippet"
  else
    sh -c "$snippet"
  fi
}

parse_target() {
  case $1 in
    /*|./*|../*) host='' folder=$1 ;;
    *:*) host=${1%%:*} folder=${1#*:} ;;
    *) host='' folder=$1 ;;
  esac
  [ -n "$folder" ] || fail "kohdekansio puuttuu: anna muodossa käyttäjä@palvelin:/polku tai /polku."
  if [ -z "$host" ] && [ -d "$folder" ]; then
    folder=$(cd "$folder" && pwd)
  fi
}

# The release `current` points at, or nothing.
live_release() {
  on_target 'if [ -L current ]; then basename "$(readlink current)"; fi'
}

switch_to() {
  # ln + mv -T: rename(2) replaces the link in one step; `ln -sfn` would not.
  on_target "test -d releases/$(quote "$1") && ln -s releases/$(quote "$1") .current.new && mv -T .current.new current"
}

# A field of OUTPUT's build record: one '"name": "value",' a line (plugins/site_meta).
record_field() {
  sed -n "s/^ \"$1\": \"\\([^\"]*\\)\",\\{0,1\\}\$/\\1/p" "$output/.build.json"
}

# Only a clean production build goes out.
check_build() {
  output=${1%/}
  [ -d "$output" ] && [ -f "$output/index.html" ] ||
    fail "koottua sivustoa ei ole kansiossa $output. Kokoa se ensin: make build."
  problems="$(dirname "$output")/.$(basename "$output").problems.json"
  [ ! -e "$problems" ] ||
    fail "viimeisin kokoaminen epäonnistui (virheet tiedostossa $problems). Verkkosivusto jätettiin ennalleen; korjaa virheet ja kokoa uudelleen: make build."
  [ -f "$output/.build.json" ] ||
    fail "kansiosta $output puuttuu kokoamistieto .build.json, joten sitä ei ole koottu komennolla make build. Kokoa julkaistava sivusto komennolla make build."
  mode=$(record_field mode)
  [ "$mode" = production ] ||
    fail "kansiossa $output on kehitysversio (make serve tai tasks.py build), jonka jäsenalue aukeaa kehityssalasanoilla. Kokoa julkaistava sivusto komennolla make build."
}

publish() {
  check_build "$1"
  case $keep in ''|*[!0-9]*|0) fail "DEPLOY_KEEP ja --keep ovat vähintään 1." ;; esac

  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  revision=${DEPLOY_REVISION:-$(record_field commit | cut -c1-7)}
  release=$stamp${revision:+-$revision}
  if [ -n "$host" ]; then
    $ssh_command "$host" "mkdir -p $(quote "$folder")" || fail "palvelimeen $host ei saatu yhteyttä."
  else
    mkdir -p "$folder" && folder=$(cd "$folder" && pwd)
  fi
  on_target 'mkdir -p releases && rm -rf releases/*.partial'
  # A second deploy within the same second (a retry) gets its own name, still in time order.
  base=$release n=1
  while on_target "[ -e releases/$(quote "$release") ]"; do n=$((n + 1)) release=$base.$n; done
  live=$(live_release)
  # Relative to the new release's folder: files unchanged since the live release become hard links.
  # rsync links a file only when its attributes match too, and every build writes its files anew:
  # --checksum compares the contents, and without --times a build's time is not an attribute (a
  # linked file keeps the time it first went out, which is also its Last-Modified).
  link=${live:+--link-dest=../$live}
  destination=$folder/releases/$release.partial/
  [ -z "$host" ] || destination=$host:$destination
  rsync --recursive --links --perms --chmod=D755,F644 --checksum --delete $link \
    ${host:+--rsh="$ssh_command"} "$output/" "$destination" ||
    fail "tiedostojen siirto epäonnistui; verkkosivusto jätettiin ennalleen."
  on_target "mv releases/$(quote "$release").partial releases/$(quote "$release")"
  switch_to "$release" || fail "uuden version käyttöönotto epäonnistui; verkkosivusto jätettiin ennalleen."
  # The newest $keep releases stay for rollbacks; the live one always stays.
  on_target "ls -1 releases | grep -v '\\.partial\$' | sort -r | tail -n +$((keep + 1)) | while read -r old; do
      [ \"\$old\" = $(quote "$release") ] || rm -rf \"releases/\$old\"; done"
  printf '%s\n' "Julkaistu: $release (${host:+$host:}$folder/current). Edellinen: ${live:-ei ole}."
}

rollback() {
  wanted=$1
  live=$(live_release)
  if [ -z "$wanted" ]; then
    wanted=$(on_target "ls -1 releases | grep -v '\\.partial\$' | sort | awk -v live=$(quote "$live") '\$0 == live { print previous } { previous = \$0 }'")
    [ -n "$wanted" ] || fail "julkaisua ${live:-?} edeltävää versiota ei ole. Versiot: deploy/deploy.sh --list KOHDE"
  fi
  switch_to "$wanted" || fail "versiota $wanted ei ole. Versiot: deploy/deploy.sh --list KOHDE"
  printf '%s\n' "Palautettu: $wanted (ennen: ${live:-ei ole})."
}

list() {
  live=$(live_release)
  on_target "ls -1 releases 2>/dev/null | grep -v '\\.partial\$' | sort" | while read -r name; do
    if [ "$name" = "$live" ]; then printf '%s  (käytössä)\n' "$name"; else printf '%s\n' "$name"; fi
  done
}

case ${1:-} in
  --keep) [ $# -eq 4 ] || usage; keep=$2; parse_target "$4"; publish "$3" ;;
  --rollback)
    case $# in
      2) parse_target "$2"; rollback '' ;;
      3) parse_target "$3"; rollback "$2" ;;
      *) usage ;;
    esac ;;
  --list) [ $# -eq 2 ] || usage; parse_target "$2"; list ;;
  --check)
    [ $# -eq 2 ] || usage
    check_build "$2"
    commit=$(record_field commit)
    printf '%s\n' "Julkaistavissa: $output (koottu $(record_field time), muutos ${commit:-ei tiedossa})." ;;
  -*|'') usage ;;
  *) [ $# -eq 2 ] || usage; parse_target "$2"; publish "$1" ;;
esac
