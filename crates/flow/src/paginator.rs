//! `Template.list` (§1.5): its options (checked before any request, with the official
//! messages), and one page's call, which also says what the next page is.

use crate::api_call::ApiCall;
use crate::connection::{ConnectionConfig, ConnectionOptions};
use crate::endpoint::Endpoint;
use crate::http::HttpResponse;
use crate::prelude::*;
use crate::wire::{self, TemplateInfo};
use alloc::rc::Rc;
use novita_template_json::shape::Num;

novita_template_json::shape! {
    /// Options of `Template.list`.
    input struct ListOptions as "TemplateListOpts" extends ConnectionOptions as connection {
        /// Default `template_build`.
        #[ts = "'template_build' | 'snapshot_template'"]
        pub template_type: Option<String> = "templateType",
        /// The first page to fetch, from 1 (default 1).
        pub page: Option<Num> = "page",
        /// Templates per page, 1 to 100 (default 20).
        pub limit: Option<Num> = "limit",
    }
}

/// Validated list parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListParams {
    pub template_type: String,
    pub page: u64,
    pub limit: u64,
}

/// Whether a number's text is below `bound` (or `NaN`-like: unreadable as one).
fn below(n: &Num, bound: u64) -> bool {
    n.text().starts_with('-')
        || n.integer().is_some_and(|v| v < bound as i64)
        || (n.integer().is_none() && n.ceil_non_negative().is_some_and(|c| c <= bound))
}

impl ListOptions {
    /// The official checks and messages (plain `Error`s), plus whole numbers.
    pub fn validate(&self) -> Result<ListParams, SdkError> {
        let template_type = self
            .template_type
            .clone()
            .unwrap_or_else(|| "template_build".into());
        if template_type != "template_build" && template_type != "snapshot_template" {
            return Err(SdkError::error(
                "templateType must be either \"template_build\" or \"snapshot_template\"",
            ));
        }
        let page_text = self.page.clone().unwrap_or(Num::from_int(1));
        if below(&page_text, 1) {
            return Err(SdkError::error("page must be >= 1"));
        }
        let limit_text = self.limit.clone().unwrap_or(Num::from_int(20));
        let limit_ok = limit_text.integer().is_some_and(|l| (1..=100).contains(&l))
            || (limit_text.integer().is_none()
                && limit_text
                    .ceil_non_negative()
                    .is_some_and(|c| (2..=100).contains(&c)));
        if !limit_ok {
            return Err(SdkError::error("limit must be between 1 and 100"));
        }
        let page = page_text
            .integer()
            .filter(|p| *p < 1_000_000_000_000_000)
            .ok_or_else(|| {
                SdkError::invalid(format!(
                    "page must be a whole number (got {})",
                    page_text.text()
                ))
            })?;
        let limit = limit_text.integer().ok_or_else(|| {
            SdkError::invalid(format!(
                "limit must be a whole number (got {})",
                limit_text.text()
            ))
        })?;
        Ok(ListParams {
            template_type,
            page: page as u64,
            limit: limit as u64,
        })
    }
}

novita_template_json::shape! {
    /// One page of templates, and where the paginator goes next.
    output struct TemplateListPage {
        pub templates: Vec<TemplateInfo> = "templates",
        pub has_next: bool = "hasNext",
        pub next_page: u64 = "nextPage",
    }
}

/// The call for page `page` of `params`.
pub fn list_page(
    config: &ConnectionConfig,
    params: &ListParams,
    page: u64,
    seed: u64,
) -> ApiCall<TemplateListPage> {
    let request = wire::list_templates(config, &params.template_type, page, params.limit);
    let template_type = params.template_type.clone();
    let parse =
        move |response: &HttpResponse, _now_ms: f64| parse_page(response, &template_type, page);
    ApiCall::new(request, Endpoint::ListTemplates, Rc::new(parse), seed)
}

/// Reads a page: `hasNext` is `page < totalPages`, the next page is `page + 1`.
fn parse_page(
    response: &HttpResponse,
    template_type: &str,
    requested: u64,
) -> Result<TemplateListPage, SdkError> {
    let page = wire::parse_list_templates(response, template_type, requested)?;
    Ok(TemplateListPage {
        templates: page.templates,
        has_next: page.page < page.total_pages,
        next_page: page.page.saturating_add(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<Num> {
        Some(Num(s.into()))
    }

    #[test]
    fn option_messages() {
        let msg = |o: ListOptions| o.validate().unwrap_err().message.clone();
        let with = |page: Option<Num>, limit: Option<Num>| ListOptions {
            page,
            limit,
            ..Default::default()
        };
        assert_eq!(
            msg(with(None, num("101"))),
            "limit must be between 1 and 100"
        );
        assert_eq!(msg(with(None, num("0"))), "limit must be between 1 and 100");
        assert_eq!(msg(with(num("0"), None)), "page must be >= 1");
        assert_eq!(msg(with(num("-3"), None)), "page must be >= 1");
        assert_eq!(
            msg(with(num("1.5"), None)),
            "page must be a whole number (got 1.5)"
        );
        assert_eq!(
            msg(ListOptions {
                template_type: Some("x".into()),
                ..Default::default()
            }),
            "templateType must be either \"template_build\" or \"snapshot_template\""
        );
        let p = ListOptions::default().validate().unwrap();
        assert_eq!(
            (p.template_type.as_str(), p.page, p.limit),
            ("template_build", 1, 20)
        );
    }
}
