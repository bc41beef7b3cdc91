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
}

export interface ReportView {
  update(report: Report): void;
  destroy(): void;
  focus(): void;
}

export function renderReport(container: HTMLElement, report: Report, options?: RenderOptions): ReportView;
