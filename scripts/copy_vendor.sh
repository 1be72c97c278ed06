#!/usr/bin/env bash
# Copy the pinned npm packages' distributables into static/vendor (ignored by git; never committed).
set -euo pipefail
cd "$(dirname "$0")/.."
V=static/vendor
rm -rf "$V"
mkdir -p "$V/bootstrap" "$V/bootstrap-icons/fonts" "$V/htmx" "$V/echarts"
cp node_modules/bootstrap/dist/css/bootstrap.min.css "$V/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$V/bootstrap/"
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css "$V/bootstrap-icons/"
cp node_modules/bootstrap-icons/font/fonts/* "$V/bootstrap-icons/fonts/"
cp node_modules/htmx.org/dist/htmx.min.js "$V/htmx/"
cp node_modules/echarts/dist/echarts.min.js "$V/echarts/"
