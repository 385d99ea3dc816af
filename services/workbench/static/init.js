// GOV.UK Frontend's components (error summary focus, notification banners, service navigation's menu button).
import { initAll } from "/govuk/govuk-frontend.min.js";
initAll();

// The exhausted-timetable decision: the insolvency order's date and what was owed on it are asked only when the
// write-off's reason is insolvency (without JavaScript they stay shown, marked "for an insolvency only").
const writeOffReason = document.getElementById("write-off-reason");
const insolvencyFields = document.getElementById("insolvency-fields");
if (writeOffReason && insolvencyFields) {
  const showInsolvency = () => {
    insolvencyFields.hidden = writeOffReason.value !== "insolvency";
  };
  writeOffReason.addEventListener("change", showInsolvency);
  showInsolvency();
}
