//! Pasted address lists: never a panic, and every piece is either an address or
//! reported back with its position.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendguard_core::parse_address_list;

fuzz_target!(|text: &str| {
    let (addresses, rejected) = parse_address_list(text);
    for address in &addresses {
        assert!(address.address.contains('@'), "{address:?} from {text:?}");
    }
    for window in rejected.windows(2) {
        assert!(
            window[0].0 < window[1].0,
            "positions out of order: {rejected:?}"
        );
    }
});
