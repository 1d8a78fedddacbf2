#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need, when missing and possible.
set -u
missing=()
ldconfig -p 2>/dev/null | grep -q libzbar.so.0 || missing+=(libzbar0)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# nginx: the deployment test runs it (non-daemon, temp config) in front of two app processes.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: please install ${missing[*]} (no apt-get here)" >&2; exit 0
fi
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
echo "installing ${missing[*]} with apt-get"
$sudo apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
  || { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q "${missing[@]}" >/dev/null; } \
  || echo "warning: could not install ${missing[*]}; scanning photos / browser tests need them" >&2
