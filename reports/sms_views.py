"""The SMS gateway's delivery reports (Twilio StatusCallback): POST /sms/status/."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import conf
from .outbox import outbox_delivery_report
from .sms import twilio_signature_valid


@csrf_exempt  # the gateway signs the request instead (X-Twilio-Signature)
@require_POST
def sms_status(request):
    params = {key: request.POST[key] for key in request.POST}
    # The signature covers the URL the gateway was told, not what a proxy made of it.
    url = conf.REPORTS_SMS_STATUS_CALLBACK or request.build_absolute_uri()
    if not twilio_signature_valid(url=url, params=params,
                                  signature=request.headers.get("X-Twilio-Signature", "")):
        return HttpResponse("bad signature", status=403, content_type="text/plain")
    if not params.get("MessageSid") or not params.get("MessageStatus"):
        return HttpResponse("MessageSid and MessageStatus are required", status=400,
                            content_type="text/plain")
    found = outbox_delivery_report(provider_id=params["MessageSid"],
                                   status=params["MessageStatus"],
                                   error_code=params.get("ErrorCode", ""))
    return HttpResponse(status=204 if found else 404)
