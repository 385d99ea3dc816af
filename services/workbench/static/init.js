// GOV.UK Frontend's components (error summary focus, notification banners, service navigation's menu button).
import { initAll } from "/govuk/govuk-frontend.min.js";
initAll();
