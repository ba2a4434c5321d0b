import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";

const GEO_TIMEOUT_MS = 10000;

/**
 * Arrival check-in of the field workspace: the browser's position is asked
 * only when the engineer ticked the consent box; without it, or when the
 * browser refuses or takes too long, the arrival time is recorded alone.
 */
publicWidget.registry.HelpdeskFieldArriveForm = publicWidget.Widget.extend({
    selector: ".o_helpdesk_field_arrive_form",
    events: {
        submit: "_onSubmit",
    },

    _onSubmit(ev) {
        const consent = this.el.querySelector(".o_helpdesk_field_geo_consent");
        if (this.located || !consent || !consent.checked || !navigator.geolocation) {
            return; // plain submit: the time alone
        }
        ev.preventDefault();
        const submit = () => {
            this.located = true;
            this.el.submit();
        };
        const timer = setTimeout(submit, GEO_TIMEOUT_MS + 1000);
        navigator.geolocation.getCurrentPosition(
            (position) => {
                clearTimeout(timer);
                this.el.querySelector(".o_helpdesk_field_latitude").value =
                    position.coords.latitude;
                this.el.querySelector(".o_helpdesk_field_longitude").value =
                    position.coords.longitude;
                submit();
            },
            () => {
                clearTimeout(timer);
                submit();
            },
            { enableHighAccuracy: true, timeout: GEO_TIMEOUT_MS, maximumAge: 60000 }
        );
    },
});

/**
 * Photos: refuse too many or too big files before uploading them over a
 * phone connection (the server checks again).
 */
publicWidget.registry.HelpdeskFieldPhotoForm = publicWidget.Widget.extend({
    selector: ".o_helpdesk_field_photo_form",
    events: {
        "change .o_helpdesk_field_photo_input": "_onChange",
    },

    _onChange(ev) {
        const input = ev.currentTarget;
        const maxFiles = parseInt(input.dataset.maxFiles || "10");
        const tooBig = [...input.files].find((file) => file.size > 10 * 1024 * 1024);
        let message = "";
        if (input.files.length > maxFiles) {
            message = _t("At most %s photos at a time.", maxFiles);
        } else if (tooBig) {
            message = _t("%s is larger than 10 MB.", tooBig.name);
        }
        input.setCustomValidity(message);
        input.reportValidity();
    },
});
