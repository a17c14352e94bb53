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
    let gone = || {
        format!(
            "DISPLAY={display} is set, but no X server answers there (was the desktop or Xvfb closed?).\n{WAYS_OUT}"
        )
    };
    // A server just started (xvfb-run under load, a desktop logging in) or resetting may not
    // answer for a moment: it is asked again for up to three seconds before it is called gone
    // (CI, stop 29: a window test's Xvfb did not answer the first knock).
    let started = std::time::Instant::now();
    loop {
        match x_server_answers(&display) {
            // Only a server known to be there is asked in: x11rb's parser panics on the forms
            // that `x_server_answers` does not read (a display number past the TCP ports).
            Some(true) => return x_server_accepts(&display, gone, started),
            Some(false) if started.elapsed() < PATIENCE => std::thread::sleep(Duration::from_millis(100)),
            Some(false) => return Err(gone()),
            None => return Ok(()),
        }
    }
}

/// How long a display that does not answer is asked again before it is called gone.
const PATIENCE: Duration = Duration::from_secs(3);

/// Whether the X server named by `DISPLAY` is there: its socket exists (local) or accepts a
/// connection within two seconds (over TCP); `None` when the form is one this check does not
/// know (it is then left to the window to try). A local socket is not connected to here: a
/// connection that closes is the server's last client, and Xvfb then resets, refusing the
/// window's own connection for a moment.
fn x_server_answers(display: &str) -> Option<bool> {
    let (host, rest) = display.rsplit_once(':')?;
    let number: u16 = rest.split('.').next()?.parse().ok()?;
    if host.is_empty() || host == "unix" {
        return Some(std::path::Path::new(&format!("/tmp/.X11-unix/X{number}")).exists());
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

/// Whether the X server lets this program in: the whole connection handshake, with the
/// authority cookie from `XAUTHORITY`, as winit will do it. A server can be there and still
/// refuse (another user's desktop, a stale `XAUTHORITY`); winit then panics with "Failed to
/// build event loop". A server in the middle of a reset drops the connection: asked again for up
/// to three seconds. The connection that gets in is kept open for the life of the program, so
/// that the window's own is never the server's first client after a reset (Xvfb resets when its
/// last client leaves, and refuses connections while it does: CI, stop 27).
#[cfg(unix)]
fn x_server_accepts(display: &str, gone: impl Fn() -> String, started: std::time::Instant) -> Result<(), String> {
    use std::io::ErrorKind;
    use x11rb::errors::ConnectError;
    loop {
        let why = match x11rb::connect(Some(display)) {
            Ok((connection, _)) => {
                std::mem::forget(connection);
                return Ok(());
            }
            Err(ConnectError::IoError(e))
                if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::ConnectionRefused)
                    && started.elapsed() > PATIENCE =>
            {
                return Err(gone());
            }
            Err(why @ (ConnectError::SetupAuthenticate(_) | ConnectError::SetupFailed(_))) => why,
            Err(why) if started.elapsed() > PATIENCE => why,
            Err(_) => {
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        return Err(format!(
            "DISPLAY={display} answers, but the X server refuses this program ({}): is XAUTHORITY \
             the desktop's own, and is it your desktop?\n{WAYS_OUT}",
            why.to_string().replace(['\n', '\''], " ").trim()
        ));
    }
}

#[cfg(not(unix))]
fn x_server_accepts(_display: &str, _gone: impl Fn() -> String, _started: std::time::Instant) -> Result<(), String> {
    Ok(())
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
