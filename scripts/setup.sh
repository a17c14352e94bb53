#!/usr/bin/env bash
# Installs the system packages that `cargo run` and `cargo test` need beyond Rust itself, on
# Debian/Ubuntu (apt) or Fedora (dnf):
#   - a Vulkan driver and loader: the window draws with the graphics card's driver, or with Mesa's
#     software renderer (llvmpipe) on a machine without one;
#   - Xvfb, a virtual X display: the tests photograph the real window on it, and a machine without
#     a screen can run the window under `xvfb-run`.
# Nothing is needed at build time: X11 and Vulkan are loaded when the window opens.
#
#   scripts/setup.sh          (as root, or with sudo available)
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

if command -v apt-get >/dev/null; then
    if command -v xvfb-run >/dev/null && dpkg -s mesa-vulkan-drivers libvulkan1 >/dev/null 2>&1; then
        echo "setup: xvfb and mesa-vulkan-drivers are already installed"
        exit 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q xvfb xauth mesa-vulkan-drivers libvulkan1 libgl1-mesa-dri libegl1
elif command -v dnf >/dev/null; then
    $SUDO dnf install -y xorg-x11-server-Xvfb xorg-x11-xauth mesa-vulkan-drivers vulkan-loader
else
    echo "setup: neither apt-get nor dnf here; install Xvfb (xvfb-run), Mesa's Vulkan drivers and the Vulkan loader with your package manager" >&2
    exit 2
fi
