//! `Template.list` (§1.5): its options (checked before any request, with the official
//! messages), and one page's call, which also says what the next page is.

use crate::api_call::{ApiCall, JsonCall};
use crate::connection::{ConnectionConfig, ConnectionOptions};
use crate::endpoint::Endpoint;
use crate::http::HttpResponse;
use crate::prelude::*;
use crate::wire::{self, TemplateInfo};
use alloc::rc::Rc;
use novita_template_json::shape::{Encode, Num};

novita_template_json::shape! {
    /// Options of `Template.list`.
    input struct ListOptions as "TemplateListOpts" extends ConnectionOptions as connection {
        /// Default `template_build`.
        #[ts = "TemplateType"]
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
                SdkError::invalid(novita_template_json::cat!(
                    "page must be a whole number (got ",
                    page_text.text(),
                    ")"
                ))
            })?;
        let limit = limit_text.integer().ok_or_else(|| {
            SdkError::invalid(novita_template_json::cat!(
                "limit must be a whole number (got ",
                limit_text.text(),
                ")"
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
    /// One page of templates, as `TemplatePaginator.nextPage()` resolves it; the
    /// numbers are the server's (defaults as the official SDK's when absent).
    output struct TemplateListResponse {
        pub templates: Vec<TemplateInfo> = "templates",
        #[ts = "number"]
        pub total: Json = "total",
        #[ts = "number"]
        pub page: Json = "page",
        #[ts = "number"]
        pub limit: Json = "limit",
        #[ts = "number"]
        pub total_pages: Json = "totalPages",
    }
}

/// The call for page `page` of `params`.
pub fn list_page(config: &ConnectionConfig, params: &ListParams, page: u64, seed: u64) -> JsonCall {
    let request = wire::list_templates(config, &params.template_type, page, params.limit);
    let template_type = params.template_type.clone();
    let limit = params.limit;
    let parse = move |response: &HttpResponse, _now_ms: f64| {
        parse_page(response, &template_type, page, limit).map(|p| p.encode().unwrap_or(Json::Null))
    };
    ApiCall::new(request, Endpoint::ListTemplates, Rc::new(parse), seed)
}

/// Reads a page: what the server sent, `total` and `totalPages` 0 and `page` and
/// `limit` those requested when it sent none.
fn parse_page(
    response: &HttpResponse,
    template_type: &str,
    page: u64,
    limit: u64,
) -> Result<TemplateListResponse, SdkError> {
    let p = wire::parse_list_templates(response, template_type, page)?;
    let or = |v: Option<Json>, default: u64| v.unwrap_or_else(|| Json::int(default as i64));
    Ok(TemplateListResponse {
        templates: p.templates,
        total: or(p.total, 0),
        page: or(p.page_value, page),
        limit: or(p.limit, limit),
        total_pages: or(p.total_pages_value, 0),
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
