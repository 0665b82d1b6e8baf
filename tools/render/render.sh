#!/usr/bin/env bash
# Renders the models in bpmn/ to docs/<model>.png and docs/<model>.svg with
# bpmn-to-image (bpmn-js in headless Chromium). Run it after changing the model.
# Needs Node.js with npm and Debian's chromium (apt-get install chromium); Puppeteer's own browser
# download is skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "render: needs Chromium: apt-get install chromium" >&2; exit 1; }
PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tools/render --no-audit --no-fund --loglevel=error
# Chromium refuses to run as root without --no-sandbox
wrapper=$(mktemp)
trap 'rm -f "$wrapper"' EXIT
printf '#!/bin/sh\nexec "%s" --no-sandbox "$@"\n' "$chromium" > "$wrapper"
chmod +x "$wrapper"
PUPPETEER_EXECUTABLE_PATH="$wrapper" tools/render/node_modules/.bin/bpmn-to-image --no-footer --min-dimensions=1600x800 \
  bpmn/odoo-upgrade.bpmn:docs/odoo-upgrade.png,docs/odoo-upgrade.svg \
  bpmn/odoo-upgrade-campaign.bpmn:docs/odoo-upgrade-campaign.png,docs/odoo-upgrade-campaign.svg
echo "render: docs/odoo-upgrade{,-campaign}.png and .svg"
