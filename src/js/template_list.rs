//! `Template.list(options)` and its paginator (`hasNext`, `currentPage`,
//! `nextPage()`, `reset()`).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use novita_template_flow::paginator::{ListOptions, TemplatePaginator as Pages};
use novita_template_flow::Endpoint;
use wasm_bindgen::prelude::*;

use super::api_driver::send;
use super::connection::{call_context, CallContext};
use super::error_classes::flow_error;
use super::js_args::{JsResult, Options};
use super::template_api::promise;
use super::template_builder::TemplateBase;

/// Pages through the templates of the account.
#[wasm_bindgen]
pub struct TemplatePaginator {
    pages: Rc<RefCell<Pages>>,
    ctx: Rc<CallContext>,
}

#[wasm_bindgen]
impl TemplatePaginator {
    /// Whether `nextPage()` has a page to fetch.
    #[wasm_bindgen(getter, js_name = hasNext)]
    pub fn has_next(&self) -> bool {
        self.pages.borrow().has_next()
    }

    /// The page number `nextPage()` fetches.
    #[wasm_bindgen(getter, js_name = currentPage)]
    pub fn current_page(&self) -> f64 {
        self.pages.borrow().current_page() as f64
    }

    /// Fetches the next page of `TemplateInfo`s.
    #[wasm_bindgen(js_name = nextPage, unchecked_return_type = "Promise<TemplateInfo[]>")]
    pub fn next_page(&self) -> Promise {
        let pages = Rc::clone(&self.pages);
        let ctx = Rc::clone(&self.ctx);
        promise(async move {
            let req = pages
                .borrow()
                .next_page_request(&ctx.config)
                .map_err(flow_error)?;
            let reply = send(&ctx, req, Endpoint::ListTemplates)
                .await
                .map_err(flow_error)?;
            let page = pages.borrow_mut().on_page(&reply).map_err(flow_error)?;
            Ok(page
                .templates
                .iter()
                .map(super::template_info::to_js)
                .collect::<js_sys::Array>()
                .into())
        })
    }

    /// Back to the first page.
    pub fn reset(&self) {
        self.pages.borrow_mut().reset();
    }
}

#[wasm_bindgen(js_class = TemplateBase)]
impl TemplateBase {
    /// A paginator over the account's templates (`{ templateType, page, limit }`
    /// plus connection options). Option errors are thrown here, before any request.
    pub fn list(
        #[wasm_bindgen(unchecked_param_type = "ListOptions | undefined")] options: JsValue,
    ) -> JsResult<TemplatePaginator> {
        let o = Options::new(&options, "Template.list")?;
        let list = ListOptions {
            template_type: o.string("templateType")?,
            page: o.number("page")?,
            limit: o.number("limit")?,
        };
        let pages = Pages::new(&list).map_err(flow_error)?;
        let ctx = call_context(&o)?;
        Ok(TemplatePaginator {
            pages: Rc::new(RefCell::new(pages)),
            ctx: Rc::new(ctx),
        })
    }
}
