//! The networked exercise: the facilitator's machine hosts the one authoritative exercise, and
//! each delegation plays its seat from its own desk (`demarche host`, `demarche join`).
//!
//! The transport is bevy_replicon's messages over QUIC (bevy_replicon_quinnet, bevy_quinnet:
//! quinn and rustls), so every connection is encrypted with TLS. The host makes its own
//! certificate; a desk trusts the host whose certificate fingerprint its join code carries, and
//! no other. A desk then proves its seat's secret over that connection ([`FromDesk::Hello`]),
//! and only then is it authorized: until it is, it receives nothing of the exercise, only a
//! refusal. Everything a desk sends afterwards is checked on the host against the seat its
//! connection holds ([`crate::exercise::Exercise::act`]). What each seat sees is built on the
//! host ([`crate::exercise::Exercise::view_for`]). Design and threat model: docs/network.md.

/// Prints a line on standard output, like `println!`, but a closed output (a desk piped into
/// `head`) is not a reason to stop the exercise.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub mod code;
pub mod host;
pub mod join;

use crate::decisions::Role;
use crate::exercise::{SeatAction, SeatView};
use bevy::prelude::*;
use bevy_replicon::prelude::*;
use serde::{Deserialize, Serialize};

pub use code::{HostKeys, JoinCode};

/// The version of the messages below: a desk and a host of different versions refuse each other
/// with a message (bevy_replicon's protocol hash also covers the messages' registration).
pub const PROTOCOL_VERSION: u32 = 1;

/// The port a host listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 5757;

/// Longest note a desk may send to the journal, in characters.
pub const NOTE_LIMIT: usize = 2000;

/// What a desk sends to the host.
#[derive(Message, Debug, Clone, Serialize, Deserialize)]
pub enum FromDesk {
    /// The first message: the code's seat, exercise and secret, and the desk's protocol.
    Hello {
        /// bevy_replicon's hash of the registered messages.
        protocol: ProtocolHash,
        /// [`PROTOCOL_VERSION`].
        version: u32,
        /// The exercise id of the code.
        exercise: String,
        /// The seat of the code.
        seat: String,
        /// The seat's secret.
        secret: Vec<u8>,
    },
    /// Something the seat does ([`SeatAction`]).
    Act(SeatAction),
    /// The seat is ready for the next step of the exercise (the step's number, so that a
    /// "ready" sent for one step is never counted for the next).
    Ready {
        /// [`SeatView::progress`] when the seat said it.
        at: u32,
    },
    /// A few words for the exercise's journal (an objection's reason in the delegation's own
    /// words, a remark for the debrief).
    Note(String),
}

/// What the host sends to a desk.
#[derive(Message, Debug, Clone, Serialize, Deserialize)]
pub enum FromHost {
    /// The code was good: the desk holds this seat (none: an observer).
    Welcome {
        /// The seat.
        seat: Option<Role>,
        /// The exercise's title.
        title: String,
    },
    /// The code was not good, or the exercise is over: the connection is closed after this.
    Refused(String),
    /// An action of the desk was refused, with the reason (the same words as at one desk).
    Rejected {
        /// What was refused, in words.
        action: String,
        /// Why.
        why: String,
    },
    /// The exercise as the desk's seat sees it now.
    View(Box<SeatView>),
    /// Who is at the table: each seat, whether its desk is connected and whether it is ready.
    Roll(Vec<Attendance>),
    /// A seat's desk was opened elsewhere with the same code: this connection is closed.
    Replaced,
}

/// One seat at the table as every desk sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    /// The seat, in words (`Estonia`, `High Representative (EEAS)`).
    pub seat: String,
    /// Whether its desk is connected.
    pub connected: bool,
    /// Whether it is ready for the next step.
    pub ready: bool,
}

/// The seat of a code as the command line names it (`hrvp`, `EE`, `observer-2`): what the
/// secret is bound to.
pub fn seat_token(role: &Role) -> String {
    match role {
        Role::HighRepresentative => "hrvp".to_owned(),
        Role::Presidency => "presidency".to_owned(),
        Role::Commission => "commission".to_owned(),
        Role::Facilitator => "facilitator".to_owned(),
        Role::MemberState(code) => code.clone(),
    }
}

/// The messages and replicon's custom authorization, the same on host and desk (their
/// registration order makes the protocol hash).
pub struct ProtocolPlugin;

impl Plugin for ProtocolPlugin {
    fn build(&self, app: &mut App) {
        app.add_client_message_with(Channel::Ordered, to_wire::<_, FromDesk>, from_wire::<_, FromDesk>)
            .add_server_message_with(Channel::Ordered, to_wire::<_, FromHost>, from_wire::<_, FromHost>)
            // No entity is replicated: the host's messages need not wait for replication, and a
            // refusal must reach a desk that is never authorized.
            .make_message_independent::<FromHost>();
    }
}

/// The largest message a desk or host reads, once inflated: a view of the longest exercise is a
/// few hundred kilobytes; a message that inflates beyond this is refused, not held in memory.
const MESSAGE_LIMIT: usize = 16 << 20;

/// Writes a message as deflated JSON (in postcard's length-prefixed bytes). The exercise's
/// records leave out empty optional fields (a replay stays readable), which a format that does
/// not name its fields, such as replicon's default postcard, cannot read back; JSON names them,
/// and deflating takes back most of what naming them costs (a view shrinks about sixfold).
fn to_wire<C, M: Serialize>(_ctx: &mut C, message: &M, bytes: &mut Vec<u8>) -> Result<()> {
    let text = serde_json::to_vec(message)?;
    let deflated = miniz_oxide::deflate::compress_to_vec(&text, 1);
    bevy_replicon::postcard_utils::to_extend_mut(&deflated, bytes)?;
    Ok(())
}

/// Reads a message written by [`to_wire`]; anything else is an error (the message is dropped and
/// the sender gets nothing for it).
fn from_wire<C, M: serde::de::DeserializeOwned>(_ctx: &mut C, bytes: &mut bevy_replicon::bytes::Bytes) -> Result<M> {
    let deflated: Vec<u8> = bevy_replicon::postcard_utils::from_buf(bytes)?;
    let text = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MESSAGE_LIMIT)
        .map_err(|e| format!("a message that does not inflate: {e:?}"))?;
    Ok(serde_json::from_slice(&text)?)
}

/// The Bevy plugins of a networked app without a window: replicon with the host's own
/// authorization (a code, not just a protocol hash), over QUIC.
/// `tick` is how often it looks for messages: the host often (it answers everyone), a desk less
/// (thirty desks on one laptop must leave it time to work).
pub fn headless_plugins(app: &mut App, tick: std::time::Duration) {
    app.add_plugins((
        MinimalPlugins.set(bevy::app::ScheduleRunnerPlugin::run_loop(tick)),
        bevy::state::app::StatesPlugin,
    ));
    network_plugins(app);
}

/// Replicon, its QUIC transport and the protocol, on any app (with or without a window).
pub fn network_plugins(app: &mut App) {
    app.add_plugins((
        RepliconPlugins.set(RepliconSharedPlugin {
            auth_method: AuthMethod::Custom,
        }),
        bevy_replicon_quinnet::RepliconQuinnetPlugins,
        ProtocolPlugin,
    ));
}
