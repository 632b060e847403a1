// CloudFront Function (viewer request) of the web client's default behaviour: a client route
// (a path whose last segment has no extension: /periodes/2024, /) gets the client's index.html,
// which routes itself; a file (/assets/index-abc.js, /favicon.svg) is asked of the bucket as it is.
// /api/* never comes here (its own behaviour), so the API's errors reach the browser unchanged.
function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
