//! The `Template.list` paginator (§1.5): option validation, the next page's
//! request, and `hasNext` / `currentPage` bookkeeping.

use crate::connection::ConnectionConfig;
use crate::errors::{ErrorClass, FlowError};
use crate::http::HttpRequest;
use crate::wire::{self, TemplateListPage};

/// `Template.list` options (JS numbers as given).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListOptions {
    pub template_type: Option<String>,
    pub page: Option<f64>,
    pub limit: Option<f64>,
}

/// Validated list parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListParams {
    pub template_type: String,
    pub page: u64,
    pub limit: u64,
}

impl ListOptions {
    /// The official checks and messages (plain `Error`s), plus whole numbers.
    pub fn validate(&self) -> Result<ListParams, FlowError> {
        let template_type = self
            .template_type
            .clone()
            .unwrap_or_else(|| "template_build".into());
        if template_type != "template_build" && template_type != "snapshot_template" {
            return Err(FlowError::new(
                ErrorClass::Error,
                "templateType must be either \"template_build\" or \"snapshot_template\"",
            ));
        }
        let page = self.page.unwrap_or(1.0);
        if page.is_nan() || page < 1.0 {
            return Err(FlowError::new(ErrorClass::Error, "page must be >= 1"));
        }
        let limit = self.limit.unwrap_or(20.0);
        if !(1.0..=100.0).contains(&limit) {
            return Err(FlowError::new(
                ErrorClass::Error,
                "limit must be between 1 and 100",
            ));
        }
        if page.fract() != 0.0 || !page.is_finite() || page > 1e15 {
            return Err(FlowError::new(
                ErrorClass::InvalidArgumentError,
                format!("page must be a whole number (got {page})"),
            ));
        }
        if limit.fract() != 0.0 {
            return Err(FlowError::new(
                ErrorClass::InvalidArgumentError,
                format!("limit must be a whole number (got {limit})"),
            ));
        }
        Ok(ListParams {
            template_type,
            page: page as u64,
            limit: limit as u64,
        })
    }
}

/// Paginator state.
#[derive(Clone, Debug)]
pub struct TemplatePaginator {
    params: ListParams,
    first_page: u64,
    next_page: u64,
    has_next: bool,
}

impl TemplatePaginator {
    /// Validates the options up front.
    pub fn new(options: &ListOptions) -> Result<Self, FlowError> {
        let params = options.validate()?;
        Ok(TemplatePaginator {
            first_page: params.page,
            next_page: params.page,
            params,
            has_next: true,
        })
    }

    pub fn has_next(&self) -> bool {
        self.has_next
    }

    /// The page number `next_page_request` will ask for.
    pub fn current_page(&self) -> u64 {
        self.next_page
    }

    /// The request for the next page, or `Error("No more pages to fetch")`.
    pub fn next_page_request(&self, config: &ConnectionConfig) -> Result<HttpRequest, FlowError> {
        if !self.has_next {
            return Err(FlowError::new(ErrorClass::Error, "No more pages to fetch"));
        }
        Ok(wire::list_templates(
            config,
            &self.params.template_type,
            self.next_page,
            self.params.limit,
        ))
    }

    /// Parses a reply for the page just requested and advances.
    pub fn on_page(
        &mut self,
        response: &crate::http::HttpResponse,
    ) -> Result<TemplateListPage, FlowError> {
        let page = wire::parse_list_templates(
            response,
            &self.params.template_type,
            self.next_page,
            self.params.limit,
        )?;
        self.has_next = page.page < page.total_pages;
        let next = page.page + 1.0;
        self.next_page = if (1.0..1e15).contains(&next) {
            next as u64
        } else {
            self.next_page
        };
        Ok(page)
    }

    /// Back to the first page.
    pub fn reset(&mut self) {
        self.next_page = self.first_page;
        self.has_next = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_messages() {
        let msg = |o: ListOptions| o.validate().unwrap_err().message;
        assert_eq!(
            msg(ListOptions {
                limit: Some(101.0),
                ..Default::default()
            }),
            "limit must be between 1 and 100"
        );
        assert_eq!(
            msg(ListOptions {
                limit: Some(0.0),
                ..Default::default()
            }),
            "limit must be between 1 and 100"
        );
        assert_eq!(
            msg(ListOptions {
                page: Some(0.0),
                ..Default::default()
            }),
            "page must be >= 1"
        );
        assert_eq!(
            msg(ListOptions {
                page: Some(f64::NAN),
                ..Default::default()
            }),
            "page must be >= 1"
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
