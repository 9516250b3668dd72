//! Drives one [`ApiCall`] (a request plus the retry policy) with the fetch transport.

use novita_template_flow::{
    ApiCall, CallAction, Endpoint, FlowError, HttpRequest, HttpResponse, RetryPolicy,
};

use super::connection::CallContext;
use super::transport::{self, now_ms};

/// A seed for retry jitter.
pub(crate) fn random_seed() -> u64 {
    (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64
}

/// Sends `request` (retrying as the policy allows) and returns the final reply,
/// of any status, for the endpoint's parser.
pub(crate) async fn send(
    ctx: &CallContext,
    request: HttpRequest,
    endpoint: Endpoint,
) -> Result<HttpResponse, FlowError> {
    let mut call = ApiCall::new(request, endpoint, RetryPolicy::default(), random_seed());
    loop {
        if transport::is_aborted(&ctx.signal) {
            call.abort();
        }
        match call.next_action(now_ms()) {
            CallAction::Send(req) => {
                let reply = transport::fetch(&req, &ctx.signal).await;
                call.on_response(reply, now_ms());
            }
            CallAction::Sleep { ms } => transport::sleep(ms, &ctx.signal).await,
            CallAction::Response(r) => return Ok(r),
            CallAction::Failed(e) => return Err(e),
        }
    }
}
