// CloudFront Function (viewer request) of /api/*: the viewer's address, as CloudFront saw the connection,
// in x-consores-viewer-address, over whatever the viewer sent under that name. The API believes it only
// from requests that also carry the stage's secret, which CloudFront adds (chalicelib/domain/client_address.py).
function handler(event) {
  var request = event.request;
  request.headers['x-consores-viewer-address'] = { value: event.viewer.ip };
  return request;
}
