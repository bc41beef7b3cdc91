// Types of the shared report view (report-view.mjs).
import type { Fix, Finding, FixOffer, Report, Text } from "./sendguard-checker";

export interface HostAction {
  label: string | Text;
  onSelect: () => void | Promise<void>;
  primary?: boolean;
  /** Set as the button's `data-action`, so hosts and tests can find it. */
  id?: string;
}

export interface RenderOptions {
  lang?: "en" | "de";
  /** Called with a fix's action; while a returned promise is pending, buttons are disabled. */
  onFix?: (action: Fix, context: { finding: Finding; fix: FixOffer }) => void | Promise<void>;
  /** The host's own buttons below the findings. */
  actions?: HostAction[];
  /** Recipients shown before "Show all" (default 5). */
  collapseAfter?: number;
  /** Focus the headline after rendering (default true). */
  autofocus?: boolean;
  /** The headline's level: 2 (default), or 1 where the view is the page's main content. */
  headingLevel?: 1 | 2;
  /** What a fix would do (host.mjs `fixOutcome`): the button then names what it changes. */
  outcomeOf?: (action: Fix) => FixOutcome | undefined;
  /** The host sends right after a fix that leaves a pass: such buttons end in "and send". */
  sendsOnPass?: boolean;
}

/** What a fix would do to a draft (host.mjs `fixOutcome`). */
export interface FixOutcome {
  kind: Fix["kind"];
  moved_to_bcc?: number;
  removed?: string[];
  added_to?: string[];
  sender_added?: boolean;
  verdict?: Report["verdict"];
}

export interface ReportView {
  update(report: Report): void;
  destroy(): void;
  focus(): void;
}

/** What a fix did, as one sentence ("41 recipients moved to Bcc, you were added to To."). */
export function describeOutcome(outcome: FixOutcome, lang?: "en" | "de"): string;

export function renderReport(container: HTMLElement, report: Report, options?: RenderOptions): ReportView;
