// Haat: one-time codes by SMS in the browser (API.md "Phone numbers and one-time codes").
// A number, then the code texted to it, to sign in (a new number makes an account), to
// verify the signed-in account's number, or to reset a password; and a creator's claim of
// a profile by a code to the profile's own phone. Needs app.js (window.Haat); app.js (the
// reveal) and account.js use Haat.phoneCodeForm, profile.js Haat.claimForm.
(function () {
  "use strict";
  var H = window.Haat;
  if (!H) return;
  var el = H.el;
  var LABELS = {
    sign_in: ["Your mobile number", "Text me a code"],
    verify: ["Your mobile number", "Text me a code"],
    reset: ["The mobile number you verified", "Text me a code"]
  };

  // `purpose`: sign_in, verify or reset. `done(reply)` runs once the code is accepted: for
  // sign_in the session is kept first.
  function phoneCodeForm(purpose, done) {
    var box = el("div", { class: "stack phone-code", "data-phone-code": purpose });
    var numberForm = box.appendChild(el("form", { class: "stack", "data-phone-form": "" }));
    var number = field(numberForm, LABELS[purpose][0], { name: "phone", type: "tel", autocomplete: "tel", inputmode: "tel", required: "" });
    numberForm.appendChild(el("button", { type: "submit", class: "btn primary" }, LABELS[purpose][1]));
    var status = numberForm.appendChild(el("p", { class: "form-status", role: "status" }));
    function ask(status, sent) { askCode("/auth/otp", { phone: number.value, purpose: purpose }, status, sent); }
    numberForm.addEventListener("submit", function (event) {
      event.preventDefault();
      ask(status, function (issued) {
        numberForm.hidden = true;
        var codes = codeForm(purpose, number.value, issued, ask, done, function () { numberForm.hidden = false; box.removeChild(codes); });
        box.appendChild(codes);
      });
    });
    return box;
  }

  // A creator claiming a profile that names its email: the code goes to the phone the
  // profile's approved revision gives, which only its real owner holds.
  function claimForm(slug, done) {
    var box = el("div", { class: "stack phone-code", "data-phone-code": "claim" });
    var button = box.appendChild(el("button", { type: "button", class: "btn primary" }, "Text a code to the phone on this profile"));
    var status = box.appendChild(el("p", { class: "form-status", role: "status" }));
    function ask(status, sent) { askCode("/creator/profiles/" + encodeURIComponent(slug) + "/claim", {}, status, sent); }
    button.addEventListener("click", function () {
      button.disabled = true;
      ask(status, function (issued) {
        button.hidden = true;
        box.appendChild(codeForm("claim", "the phone on this profile", issued, ask, done, null));
      });
      setTimeout(function () { button.disabled = false; }, 1000);
    });
    return box;
  }

  function field(form, text, attributes) {
    var label = form.appendChild(el("label", {}, text));
    return label.appendChild(el("input", attributes));
  }

  // Asks `path` for a code; `sent(reply json)` once it is on its way.
  function askCode(path, body, status, sent) {
    status.textContent = "Sending…";
    H.api(path, { method: "POST", body: body }).then(H.read).then(function (reply) {
      if (reply.status === 202) { status.textContent = ""; sent(reply.json); } else status.textContent = H.message(reply);
    }, function () { status.textContent = "The network failed. Please try again."; });
  }

  // The code, once texted to `where`; `ask(status, sent)` asks for a new one.
  function codeForm(purpose, where, issued, ask, done, changeNumber) {
    var form = el("form", { class: "stack", "data-code-form": "" });
    if (issued.test_sms) {
      form.appendChild(el("p", { class: "note small", "data-test-sms": "" }, "Test SMS: this demo writes the code in the server's console, not to a phone."));
    }
    var code = field(form, "The 6-digit code texted to " + where, {
      name: "code", type: "text", inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]{6}", maxlength: "6", required: ""
    });
    var name = purpose === "sign_in" ? field(form, "Your name (new here? it makes your account)", { name: "name", autocomplete: "name", maxlength: "80" }) : null;
    var password = purpose === "reset" ? field(form, "New password (at least 10 characters)", {
      name: "new_password", type: "password", autocomplete: "new-password", minlength: "10", required: ""
    }) : null;
    form.appendChild(el("button", { type: "submit", class: "btn primary" }, purpose === "reset" ? "Set the new password" : "Confirm"));
    var again = form.appendChild(el("p", { class: "small" }));
    var status = form.appendChild(el("p", { class: "form-status", role: "status" }));
    var otpID = issued.otp_id;
    function resendCode() {
      ask(status, function (next) { otpID = next.otp_id; countdown(again, next.resend_after, resendCode, changeNumber); });
    }
    countdown(again, issued.resend_after, resendCode, changeNumber);
    listenForCode(code, form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = { otp_id: otpID, code: code.value.trim() };
      if (name && name.value.trim()) body.name = name.value.trim();
      if (password) body.new_password = password.value;
      status.textContent = "Checking…";
      H.api("/auth/otp/verify", { method: "POST", body: body }).then(H.read).then(function (reply) {
        if (reply.status === 200 || reply.status === 204) {
          if (purpose === "sign_in") H.keep(reply.json);
          status.textContent = "";
          done(reply);
        } else {
          status.textContent = H.message(reply);
          if (name && reply.status === 422) name.focus();
        }
      }, function () { status.textContent = "The network failed. Please try again."; });
    });
    return form;
  }

  // "Send a new code" once the wait API.md names is over, and a way back to the number.
  function countdown(line, seconds, resend, changeNumber) {
    line.textContent = "";
    var wait = line.appendChild(el("span", { "data-resend-wait": "" }));
    var button = el("button", { type: "button", class: "linkish", "data-resend": "" }, "Send a new code");
    button.addEventListener("click", function () { button.disabled = true; resend(); });
    var left = Math.max(0, Math.ceil(seconds || 0));
    (function tick() {
      if (left > 0) { wait.textContent = "No text? You can ask for a new code in " + left + " s. "; left -= 1; setTimeout(tick, 1000); return; }
      wait.textContent = "No text? ";
      line.insertBefore(button, wait.nextSibling);
    })();
    if (!changeNumber) return;
    var other = line.appendChild(el("button", { type: "button", class: "linkish" }, "Use another number"));
    other.addEventListener("click", changeNumber);
    line.insertBefore(document.createTextNode(" "), other);
  }

  // The Web OTP API, where the browser has it (Chrome on Android): the code fills itself
  // in from an SMS that ends with "@<this host> #<code>".
  function listenForCode(input, form) {
    if (!("OTPCredential" in window) || !navigator.credentials) return;
    var abort = new AbortController();
    form.addEventListener("submit", function () { abort.abort(); });
    navigator.credentials.get({ otp: { transport: ["sms"] }, signal: abort.signal }).then(function (otp) {
      if (otp && otp.code && !input.value) { input.value = otp.code; form.requestSubmit ? form.requestSubmit() : form.submit(); }
    }, function () { /* typed by hand instead */ });
  }

  H.phoneCodeForm = phoneCodeForm;
  H.claimForm = claimForm;
})();
