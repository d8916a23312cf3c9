// Progressive enhancement only: every page works without this script.
// GOV.UK Frontend styles its components for JavaScript once these classes are present;
// a browser that runs module scripts supports GOV.UK Frontend.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
