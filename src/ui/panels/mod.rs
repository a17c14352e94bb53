//! Panels: functions that draw what they are given and return the user's intents.

mod console;
mod council;
mod feed;
mod map;
mod situation;
mod toolbox;
mod tour;

pub use console::{ConsoleDraft, console};
pub use council::council;
pub use feed::feed;
pub use map::{Lens, map};
pub use situation::{charts, top_bar};
pub use toolbox::{HeldState, picker};
pub use tour::tour;
