#!/bin/sh
# Read the publishing settings and print them as KEY=value lines.
#
#   deploy/settings.sh [FILE]     FILE: deploy/settings.env beside this script
#
# The workflows append the output to $GITHUB_ENV, so every later step (the
# build included) sees the settings as environment variables. Only known keys
# with values of their own shape get through: a value goes into the runner's
# environment, so nothing in it may be read as another variable or a command.
# Every mistake is named in Finnish with its line, and nothing is printed.
set -eu

file=${1:-$(dirname "$0")/settings.env}
[ -r "$file" ] || { printf '%s\n' "Asetustiedostoa $file ei ole." >&2; exit 1; }

mistakes=0 number=0 seen=' '
mistake() {
  mistakes=$((mistakes + 1))
  # In GitHub Actions, also an annotation on the file's line.
  printf '%s%s\n' "${GITHUB_ACTIONS:+::error file=$file,line=$number::}" "$file, rivi $number: $1" >&2
}

# The shape of each key's value (an extended regular expression) and, when it is
# wrong, what to write instead. An empty value means the default.
shape() {
  case $1 in
    DEPLOY_TARGET) printf '%s' '^(rsync|cloudflare)?$' ;;
    DEPLOY_ENVIRONMENT) printf '%s' '^[A-Za-z0-9._-]*$' ;;
    DEPLOY_SSH_PORT) printf '%s' '^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])?$' ;;
    DEPLOY_KEEP) printf '%s' '^([1-9][0-9]{0,2})?$' ;;
    CLOUDFLARE_PROJECT) printf '%s' '^([a-z0-9]([a-z0-9-]{0,56}[a-z0-9])?)?$' ;;
    # A path on the site's own origin, or an https address: host, optional port, path.
    EDITOR_AUTH_URL) printf '%s' '^(/([A-Za-z0-9._~-][A-Za-z0-9._~/-]*)?|https://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?)?$' ;;
  esac
}

fix() {
  case $1 in
    DEPLOY_TARGET) printf '%s' 'Kirjoita DEPLOY_TARGET=rsync (webhotelli) tai DEPLOY_TARGET=cloudflare (Cloudflare Pages).' ;;
    DEPLOY_ENVIRONMENT) printf '%s' 'Kirjoita GitHub-ympäristön nimi (esim. DEPLOY_ENVIRONMENT=tuotanto) tai jätä tyhjäksi, jolloin salaisuudet ovat repositorion salaisuuksia.' ;;
    DEPLOY_SSH_PORT) printf '%s' 'Kirjoita porttinumero 1–65535, esim. DEPLOY_SSH_PORT=22.' ;;
    DEPLOY_KEEP) printf '%s' 'Kirjoita säilytettävien versioiden määrä (1–999) tai jätä tyhjäksi (deploy/deploy.sh:n oletus).' ;;
    CLOUDFLARE_PROJECT) printf '%s' 'Kirjoita Cloudflare Pages -projektin nimi pienin kirjaimin, esim. CLOUDFLARE_PROJECT=konservatorioliitto.' ;;
    EDITOR_AUTH_URL) printf '%s' 'Kirjoita kirjautumispalvelun https://-osoite, esim. EDITOR_AUTH_URL=https://kirjautuminen.konservatorioliitto.fi/auth, tai jätä tyhjäksi (Cloudflare Pagesissa /api/auth).' ;;
  esac
}

settings=''
newline='
'
while IFS= read -r line || [ -n "$line" ]; do
  number=$((number + 1))
  case $line in '' | '#'*) continue ;; esac
  key=${line%%=*}
  value=${line#*=}
  if [ "$key" = "$line" ]; then
    mistake "rivi ei ole muotoa AVAIN=arvo. Kirjoita asetus muodossa AVAIN=arvo tai kommentti #-merkin jälkeen."
    continue
  fi
  if [ -z "$(shape "$key")" ]; then
    mistake "tuntematon asetus \"$key\". Tunnetut: DEPLOY_TARGET, DEPLOY_ENVIRONMENT, DEPLOY_SSH_PORT, DEPLOY_KEEP, CLOUDFLARE_PROJECT, EDITOR_AUTH_URL."
    continue
  fi
  case $seen in *" $key "*) mistake "$key on jo annettu aiemmin. Jätä tiedostoon yksi $key-rivi."; continue ;; esac
  seen="$seen$key "
  if ! printf '%s\n' "$value" | grep -Eq "$(shape "$key")"; then
    mistake "$key: arvo \"$value\" ei kelpaa. $(fix "$key")"
    continue
  fi
  settings="$settings$key=$value$newline"
done < "$file"

[ "$mistakes" -eq 0 ] || exit 1
printf '%s' "$settings"
