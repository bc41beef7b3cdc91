// Background (event page): wires Thunderbird's events to the send guard. Listeners
// are registered synchronously at the top level so Thunderbird wakes this page for
// them (also after suspending it while a dialog is open); the checker itself is
// imported lazily, so a missing or broken checker is a checker failure (handled by the
// policy's fail mode), not a background that never registered its listener and
// silently lets everything through.

import { SendGuard } from "./lib/guard.mjs";
import { loadCatalogue } from "./lib/i18n.mjs";

let catalogue;

const guard = new SendGuard({
  messenger,
  loadCheckerModule: () => import("./checker/sendguard-checker.mjs"),
  loadCatalogue: async () => {
    catalogue ??= await loadCatalogue((path) => fetch(messenger.runtime.getURL(path)).then((r) => r.json()));
    return catalogue;
  },
});

messenger.compose.onBeforeSend.addListener((tab, details) => guard.onBeforeSend(tab, details));
messenger.runtime.onMessage.addListener((message) => guard.handleMessage(message));
messenger.windows.onRemoved.addListener((windowId) => guard.onWindowRemoved(windowId));
