//! `sendguard manifest`: the Outlook manifests for the URL IT hosts the add-in at.

use std::path::PathBuf;

use sendguard_server::{BaseUrl, ManifestKind, SendMode, render_manifest};

use crate::{EXIT_DATA, EXIT_USAGE};

/// Write the Outlook manifests (XML and unified JSON) for a host and SendMode.
#[derive(clap::Args)]
pub(crate) struct ManifestArgs {
    /// Where the add-in is hosted: https://host, optionally with a port and a path
    /// (the URL `sendguard serve` is reached at).
    #[arg(long, value_name = "URL")]
    url: String,
    /// What Outlook does when sendguard stops a mail or cannot run: soft-block lets the
    /// user send if the add-in is unavailable, block does not.
    #[arg(long, value_name = "MODE", default_value = "soft-block", value_parser = ["soft-block", "block"])]
    send_mode: String,
    /// Folder to write manifest.xml and manifest.json into.
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// The folder holding addin-outlook/ (the manifest templates).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

pub(crate) fn run(args: &ManifestArgs) -> u8 {
    let Some(base_url) = BaseUrl::parse(&args.url) else {
        eprintln!(
            "sendguard: --url {}: expected https://host, optionally with :port and /path, without user, query or fragment",
            args.url
        );
        return EXIT_USAGE;
    };
    let send_mode = SendMode::parse(&args.send_mode).unwrap_or_default();
    for kind in [ManifestKind::Xml, ManifestKind::Json] {
        let template_path = args
            .root
            .join("addin-outlook")
            .join(kind.template_file_name());
        let template = match std::fs::read_to_string(&template_path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!(
                    "sendguard: {}: cannot read the manifest template: {error} (run from the checkout or pass --root)",
                    template_path.display()
                );
                return EXIT_DATA;
            }
        };
        let extension = match kind {
            ManifestKind::Xml => "xml",
            ManifestKind::Json => "json",
        };
        let target = args.out.join(format!("manifest.{extension}"));
        let written = std::fs::create_dir_all(&args.out).and_then(|()| {
            std::fs::write(
                &target,
                render_manifest(&template, &base_url, kind, send_mode),
            )
        });
        if let Err(error) = written {
            eprintln!("sendguard: {}: {error}", target.display());
            return EXIT_DATA;
        }
        println!("{}", target.display());
    }
    0
}
