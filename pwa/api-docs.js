/**
 * Starts Swagger UI (loaded from our own copy of swagger-ui-dist) on the OpenAPI schema.
 * An external module rather than Swagger's inline initializer, so the strict CSP holds;
 * the validator badge is off because it would call a server of another origin.
 */

const root = document.getElementById("swagger-ui");
window.SwaggerUIBundle({
  url: root.dataset.schemaUrl,
  domNode: root,
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
});
