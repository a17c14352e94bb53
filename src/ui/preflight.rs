//! What the window needs from the machine, checked before it opens: a desktop to draw on and a
//! Vulkan driver (a graphics card's, or Mesa's software renderer). Without them Bevy panics deep
//! in its start-up with a backtrace ("Failed to build event loop", "Unable to find a GPU!"); a
//! diplomat on a fresh laptop gets instead what is missing, what to install, and the commands
//! that need neither.

use std::time::Duration;

/// The ways out for a machine that cannot open the window: the same lines end every message.
const WAYS_OUT: &str = "\
Without a window, the exercise plays in the terminal:
    demarche run default                 (turn by turn, every vote and decision)
    demarche run default --record run.ron && demarche report run.ron -o report.html
On a machine without a screen (a server, CI), run the window under a virtual display:
    xvfb-run -a -s \"-screen 0 1280x800x24\" demarche
    (Debian/Ubuntu: apt install xvfb xauth; Fedora: dnf install xorg-x11-server-Xvfb)";

/// Where Mesa's software Vulkan driver comes from, for a machine with no graphics card.
const VULKAN_PACKAGES: &str = "\
Install a Vulkan driver: your graphics card's, or Mesa's software renderer where there is none:
    Debian/Ubuntu: apt install mesa-vulkan-drivers libvulkan1
    Fedora:        dnf install mesa-vulkan-drivers vulkan-loader";

/// Checks the display and the Vulkan driver; `Err` holds the whole message for the user.
pub fn check() -> Result<(), String> {
    check_display()?;
    check_vulkan()
}

/// A display the window can open on: an X server (this build draws through X11, and a Wayland
/// desktop provides one through XWayland) that answers.
fn check_display() -> Result<(), String> {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return Ok(());
    }
    let display = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty());
    let wayland = std::env::var("WAYLAND_DISPLAY").ok().filter(|d| !d.is_empty());
    let Some(display) = display else {
        let what = match wayland {
            Some(w) => format!(
                "This is a Wayland desktop (WAYLAND_DISPLAY={w}) without XWayland: the window draws through X11. \
                 Turn XWayland on in your desktop's settings (GNOME and KDE have it by default)."
            ),
            None => "No display: neither DISPLAY nor WAYLAND_DISPLAY is set, so there is no desktop to open \
                     the window on (a remote shell or a server?)."
                .to_owned(),
        };
        return Err(format!("{what}\n{WAYS_OUT}"));
    };
    match x_server_answers(&display) {
        Some(true) | None => Ok(()),
        Some(false) => Err(format!(
            "DISPLAY={display} is set, but no X server answers there (was the desktop or Xvfb closed?).\n{WAYS_OUT}"
        )),
    }
}

/// Whether the X server named by `DISPLAY` accepts a connection: `None` when the form is one
/// this check does not know (it is then left to the window to try).
fn x_server_answers(display: &str) -> Option<bool> {
    let (host, rest) = display.rsplit_once(':')?;
    let number: u16 = rest.split('.').next()?.parse().ok()?;
    if host.is_empty() || host == "unix" {
        #[cfg(unix)]
        {
            let path = format!("/tmp/.X11-unix/X{number}");
            return Some(std::os::unix::net::UnixStream::connect(path).is_ok());
        }
        #[cfg(not(unix))]
        return None;
    }
    if host.contains('/') {
        return None;
    }
    let port = 6000u16.checked_add(number)?;
    let addresses = std::net::ToSocketAddrs::to_socket_addrs(&(host, port)).ok()?;
    Some(
        addresses
            .into_iter()
            .any(|address| std::net::TcpStream::connect_timeout(&address, Duration::from_secs(2)).is_ok()),
    )
}

/// A Vulkan adapter, asked of wgpu exactly as Bevy will ask (the backends it was built with,
/// `WGPU_BACKEND` honoured).
fn check_vulkan() -> Result<(), String> {
    use bevy::render::settings::Backends;
    let backends = Backends::from_env().unwrap_or(Backends::all());
    let instance = wgpu::Instance::new(wgpu::InstanceDescriptor {
        backends,
        ..wgpu::InstanceDescriptor::new_without_display_handle()
    });
    let adapters = bevy::tasks::block_on(instance.enumerate_adapters(backends));
    if adapters.is_empty() {
        return Err(format!(
            "No graphics driver: Vulkan finds no device to draw with, so the window cannot open.\n\
             {VULKAN_PACKAGES}\n{WAYS_OUT}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_are_read_as_x_reads_them() {
        assert_eq!(x_server_answers("nonsense"), None);
        assert_eq!(x_server_answers(":x"), None);
        // A display number nobody serves: no socket, no answer.
        assert_eq!(x_server_answers(":64999"), Some(false));
        assert_eq!(x_server_answers("unix:64998.0"), Some(false));
    }
}
