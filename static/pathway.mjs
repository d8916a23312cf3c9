// Progressive enhancement only: every page works without this script.
// GOV.UK Frontend styles its components for JavaScript once these classes are present;
// a browser that runs module scripts supports GOV.UK Frontend.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// Uploads: where JavaScript runs, show how much of a large file has been sent. The form
// posts the same multipart body either way; this only adds a progress bar.
for (const form of document.querySelectorAll('form[data-pathway-upload]')) {
  form.addEventListener('submit', event => {
    event.preventDefault()
    const box = form.querySelector('.pathway-upload-progress')
    const bar = box.querySelector('progress')
    const status = box.querySelector('[data-pathway-upload-status]')
    box.hidden = false
    const request = new XMLHttpRequest()
    request.open('POST', form.action)
    request.upload.addEventListener('progress', e => {
      if (!e.lengthComputable) return
      const percent = Math.round((e.loaded / e.total) * 100)
      bar.value = percent
      status.textContent = percent < 100 ? `${percent}% sent` : 'Sent. Checking the file…'
    })
    request.addEventListener('load', () => {
      // Success redirects to the framework; problems come back as a page to show.
      if (request.responseURL && !request.responseURL.endsWith(form.getAttribute('action'))) {
        window.location.assign(request.responseURL)
        return
      }
      document.open()
      document.write(request.responseText)
      document.close()
    })
    request.addEventListener('error', () => { status.textContent = 'The upload failed. Try again.' })
    request.send(new FormData(form))
  })
}

// Role-level pickers: where GOV.UK's accessible-autocomplete has loaded, a field marked
// data-role-level-picker suggests role levels as you type, from /api/v1/role-levels/search.
// Without it the field is a plain search: the server takes a code or words from a title
// and, when several role levels match, lists them to choose from.
const escapeHtml = text => String(text).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c])

function rolePicker (wrapper) {
  const input = wrapper.querySelector('input')
  if (!input || typeof window.accessibleAutocomplete !== 'function') return
  const describedBy = input.getAttribute('aria-describedby')
  const invalid = input.classList.contains('govuk-input--error')
  let latest = 0
  const source = (query, populate) => {
    const asked = ++latest
    fetch(`/api/v1/role-levels/search?q=${encodeURIComponent(query)}&limit=10`, { headers: { Accept: 'application/json' } })
      .then(response => response.ok ? response.json() : { role_levels: [] })
      .then(body => { if (asked === latest) populate(body.role_levels) })
      .catch(() => { if (asked === latest) populate([]) })
  }
  const value = input.value
  const id = input.id
  const name = input.name
  input.remove()
  window.accessibleAutocomplete({
    element: wrapper,
    id,
    name,
    defaultValue: value,
    minLength: 2,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    source,
    templates: {
      inputValue: level => level ? level.code : '',
      suggestion: level => typeof level === 'string'
        ? escapeHtml(level)
        : `${escapeHtml(level.title)} <span class="pathway-role-level-code">${escapeHtml(level.code)}</span>`
    }
  })
  const created = wrapper.querySelector('input')
  if (created && describedBy) {
    created.setAttribute('aria-describedby', `${describedBy} ${created.getAttribute('aria-describedby') || ''}`.trim())
  }
  if (created && invalid) created.classList.add('govuk-input--error')
}

for (const wrapper of document.querySelectorAll('[data-role-level-picker]')) rolePicker(wrapper)

// Search and filter forms (method GET): send only the fields that are set, so that the
// address names what was asked for (/people?grade_from=G7, not a list of empty filters).
// The names of empty fields are taken off while the form is sent and put back at once,
// so that the form stays as it was if the user comes back to it.
for (const form of document.querySelectorAll('form')) {
  if ((form.getAttribute('method') || 'get').toLowerCase() !== 'get') continue
  form.addEventListener('submit', () => {
    const emptied = []
    for (const field of form.querySelectorAll('input[name], select[name], textarea[name]')) {
      if (field.value !== '' || field.disabled) continue
      if ((field.type === 'checkbox' || field.type === 'radio') && !field.checked) continue
      emptied.push([field, field.name])
      field.removeAttribute('name')
    }
    // The browser builds the address when the submit event has run; put the names back.
    setTimeout(() => { for (const [field, name] of emptied) field.name = name })
  })
}
