// Haat: progressive enhancement only. Every page works without this script.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // The lead API arrives with accounts: until then the contact button stays a plain
  // link to /account/, which explains what to expect.
})();
