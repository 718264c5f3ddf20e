// Loaded first in <body>, as GOV.UK Frontend asks, from a file because the CSP allows no inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
