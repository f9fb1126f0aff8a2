// A stand-in for Razorpay's checkout.js, served by razorpay-fake: TEST PAYMENTS ONLY,
// no money moves. It has the real script's surface (RAZORPAY.md §4): `new
// Razorpay(options)`, `.on("payment.failed", fn)`, `.open()`; the success handler gets
// razorpay_payment_id, razorpay_order_id and razorpay_signature exactly as from Checkout.
(function () {
  "use strict";
  var origin = new URL(document.currentScript.src).origin;

  function Razorpay(options) {
    this.options = options || {};
    this.listeners = {};
  }

  Razorpay.prototype.on = function (name, listener) {
    this.listeners[name] = listener;
  };

  Razorpay.prototype.open = function () {
    var self = this, options = this.options;
    var overlay = node("div", "position:fixed;inset:0;background:rgba(0,0,0,.55);display:flex;align-items:center;justify-content:center;z-index:2147483647;font:16px/1.4 system-ui,sans-serif;color:#222");
    overlay.setAttribute("data-fake-checkout", "");
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", "Test payment");
    var box = node("div", "background:#fff;border-radius:12px;padding:20px;width:min(22rem,90vw);box-shadow:0 8px 30px rgba(0,0,0,.3)");
    overlay.appendChild(box);
    box.appendChild(node("p", "margin:0 0 8px;font-weight:700;color:#8a4b00", "Test payment: no money moves"));
    box.appendChild(node("p", "margin:0 0 4px", [options.name, options.description].filter(Boolean).join(" · ")));
    box.appendChild(node("p", "margin:0 0 4px;font-size:1.5em;font-weight:700", "₹" + ((options.amount || 0) / 100).toFixed(2) + " " + (options.currency || "INR")));
    box.appendChild(node("p", "margin:0 0 12px;font-size:.85em;color:#666", "Order " + options.order_id));
    var status = node("p", "margin:0 0 12px;min-height:1.4em", "");
    status.setAttribute("role", "status");
    box.appendChild(status);
    var pay = button("Pay (test)", "background:#0b6b3a;color:#fff", "captured");
    var fail = button("Fail the payment", "background:#eee;color:#222", "failed");
    var close = button("Close", "background:none;color:#444;text-decoration:underline", null);
    [pay, fail, close].forEach(function (b) { box.appendChild(b); });
    document.body.appendChild(overlay);
    pay.focus();

    function finish() { overlay.remove(); }
    function busy(yes) { pay.disabled = fail.disabled = yes; }
    function attempt(outcome) {
      busy(true);
      status.textContent = "Processing…";
      // text/plain keeps this a simple cross-origin request (no preflight).
      fetch(origin + "/_test/checkout/pay", {
        method: "POST", headers: { "Content-Type": "text/plain" },
        body: JSON.stringify({ key: options.key, order_id: options.order_id, outcome: outcome })
      }).then(function (response) { return response.json(); }).then(function (result) {
        busy(false);
        if (result.razorpay_payment_id) {
          finish();
          if (options.handler) options.handler(result);
        } else if (result.error && result.error.reason === "payment_failed") {
          status.textContent = "The payment failed (test). Try again, or close.";
          if (self.listeners["payment.failed"]) self.listeners["payment.failed"]({ error: result.error });
        } else {
          status.textContent = (result.error && result.error.description) || "The payment was refused.";
        }
      }).catch(function () {
        busy(false);
        status.textContent = "The test payment server did not answer.";
      });
    }
    pay.addEventListener("click", function () { attempt("captured"); });
    fail.addEventListener("click", function () { attempt("failed"); });
    close.addEventListener("click", function () {
      finish();
      if (options.modal && options.modal.ondismiss) options.modal.ondismiss();
    });
  };

  function node(tag, style, text) {
    var element = document.createElement(tag);
    element.style.cssText = style;
    if (text) element.textContent = text;
    return element;
  }

  function button(label, style, outcome) {
    var element = node("button", "display:block;width:100%;margin:6px 0;padding:10px;border:0;border-radius:8px;font:inherit;cursor:pointer;" + style, label);
    element.type = "button";
    if (outcome) element.setAttribute("data-fake-pay", outcome); else element.setAttribute("data-fake-close", "");
    return element;
  }

  window.Razorpay = Razorpay;
})();
