//! The shipped finding catalog points at text that exists in the shipped content.

use std::path::Path;

use remedy::advise::{ArticleRef, Catalog, Place};
use remedy::article::{Article, BlockKind};

#[test]
fn every_remediation_target_exists_in_the_content() {
    let content = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"));
    let (articles, errors) = remedy::content::load_dir(content);
    assert!(errors.is_empty(), "{errors:?}");
    let catalog = Catalog::builtin();
    for finding in catalog.findings() {
        for target in &finding.remediation {
            let found: Vec<&Article> = articles
                .iter()
                .filter(|a| match &target.article {
                    ArticleRef::Asset(id) => a.asset_id() == Some(*id),
                    ArticleRef::Path(p) => remedy::content::relative_path(a.path()) == *p,
                })
                .collect();
            assert!(
                !found.is_empty(),
                "{}: no article {:?}",
                finding.code,
                target.article
            );
            for a in found {
                match &target.place {
                    Place::Section(anchor) => assert!(
                        a.blocks().iter().any(|b| matches!(
                            &b.kind,
                            BlockKind::Heading { anchor: Some(x), .. } if x == anchor
                        )),
                        "{}: no section #{anchor} in {}",
                        finding.code,
                        a.path().display()
                    ),
                    Place::Segments(keys) => {
                        for k in keys {
                            assert!(
                                a.segments().iter().any(|s| s.key.to_string() == *k),
                                "{}: no segment {k} in {}",
                                finding.code,
                                a.path().display()
                            );
                        }
                    }
                    Place::Whole => {}
                }
            }
        }
    }
}
