// Jangkau's admin (templates/admin/base_site.html), a file rather than an inline script so the
// Content-Security-Policy needs no 'unsafe-inline'.
//
// admin/js/SelectFilter2.js (the two-list widget of many-to-many fields) puts aria-label on a bare <span>,
// where ARIA does not allow it: the icon is an image whose text alternative is that label. SelectFilter2
// builds its widgets on "load", before this listener runs.
"use strict";
window.addEventListener("load", function () {
  document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
    icon.setAttribute("role", "img");
  });
});
