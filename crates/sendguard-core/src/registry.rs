//! The rule registry: the one table that declares every rule.
//!
//! Each row names the rule's module (`src/rules/<module>.rs`, which holds its logic,
//! its own defaults and its pass/fail tests), its [`RuleId`](crate::RuleId) variant,
//! the stable id that reports, policies and docs use, and the severity it has when the
//! policy does not set one. The order of the rows is the order in which reports list
//! findings of the same severity.
//!
//! The table is a macro that hands its rows to another macro, so that the vocabulary
//! (`RuleId`, its ids and defaults) and the rule modules with their dispatch are both
//! generated from it: adding a rule is one row here and one file under `rules/`, and a
//! rule id without a module (or a module without a row) does not compile.

/// Calls `$callback!` with every rule row: `module => Variant, "id", DefaultSeverity;`.
macro_rules! rule_registry {
    ($callback:ident) => {
        $callback! {
            /// Recipients exposed to each other in To/Cc, counted as parties.
            visible_recipients => VisibleRecipients, "visible-recipients", Block;
            /// A domain the policy blocks.
            blocked_recipient => BlockedRecipient, "blocked-recipient", Block;
            /// A throwaway mail domain.
            disposable_recipient => DisposableRecipient, "disposable-recipient", Block;
            /// A recipient domain that resembles a known one (own organization, internal,
            /// trusted, address book, another recipient's, a big provider).
            lookalike_recipient => LookalikeRecipient, "lookalike-recipient", Warn;
            /// A private freemail or consumer-ISP mailbox.
            freemail_recipient => FreemailRecipient, "freemail-recipient", Warn;
            /// A recipient entry that is not a usable address (no valid domain).
            invalid_recipient => InvalidRecipient, "invalid-recipient", Warn;
            /// How many external organizations get the mail (like a MailTip).
            external_recipients => ExternalRecipients, "external-recipients", Info;
            /// An executable or script attached.
            attachment_dangerous_type => AttachmentDangerousType, "attachment-dangerous-type", Block;
            /// A file name that hides its real type.
            attachment_disguised_name => AttachmentDisguisedName, "attachment-disguised-name", Block;
            /// Attachments over the policy's size limit.
            attachment_too_large => AttachmentTooLarge, "attachment-too-large", Warn;
            /// An Office document that carries macros (`.docm`, `.xlsm`, …).
            attachment_macro_document => AttachmentMacroDocument, "attachment-macro-document", Warn;
            /// Part of the draft (body, an attachment) that could not be inspected.
            content_not_inspected => ContentNotInspected, "content-not-inspected", Warn;
            /// A contact group or mailing list whose members could not be read.
            list_not_expanded => ListNotExpanded, "list-not-expanded", Warn;
            /// Validated identifiers of people (IBAN, card, tax, social and health
            /// insurance, ID documents) in the subject, the text or the files.
            personal_data_identifiers => PersonalDataIdentifiers, "personal-data-identifiers", Block;
            /// One part of the draft that lists many people's addresses or phone numbers.
            personal_data_member_list => PersonalDataMemberList, "personal-data-member-list", Block;
            /// Special categories of personal data (Art. 9 GDPR: health, religion, trade
            /// union, sexual orientation, ethnic origin, biometric, genetic, political)
            /// about a person.
            personal_data_special_category => PersonalDataSpecialCategory, "personal-data-special-category", Block;
            /// Special categories, bank or identity data going to external recipients
            /// without end-to-end encryption or the policy's sensitivity label.
            unprotected_sensitive_data => UnprotectedSensitiveData, "unprotected-sensitive-data", Block;
        }
    };
}
