// The quote's and the slip's routes: #/jobs/<id>/quote[/customer] and #/jobs/<id>/slip[/feedback|/customer|
// /technician]. On its own so the shell can route to the slip's screens without loading them first.
export const ROUTE = /^#\/jobs\/(\d+)\/(quote|slip)(?:\/(customer|feedback|technician))?$/;
