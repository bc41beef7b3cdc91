//! Keeping a panic's message. The wasm builds abort on panic (no unwinding in the
//! shipped module), which JavaScript sees as a bare `RuntimeError: unreachable`; a panic
//! hook keeps the message so the loader can say what broke.

use std::sync::Mutex;

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Installs a panic hook that keeps the message for [`last_panic`]. Idempotent.
pub fn record_panics() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Ok(mut slot) = LAST_PANIC.lock() {
                *slot = Some(info.to_string());
            }
            previous(info);
        }));
    });
}

/// The message of the last panic since [`record_panics`], if any; clears it.
pub fn last_panic() -> Option<String> {
    LAST_PANIC.lock().ok().and_then(|mut slot| slot.take())
}

/// Panics on purpose, so tests can check that a panic in the checker reaches
/// JavaScript as an error and that a fresh instance works afterwards.
#[doc(hidden)]
pub fn panic_for_tests() {
    record_panics();
    panic!("sendguard: deliberate panic for the tests");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_message() {
        let _serial = crate::GLOBAL_STATE.lock();
        record_panics();
        let result = std::panic::catch_unwind(panic_for_tests);
        assert!(result.is_err());
        let message = last_panic().unwrap_or_default();
        assert!(message.contains("deliberate panic"), "{message}");
        assert_eq!(last_panic(), None);
    }
}
