"""The floor of the intake benchmark: the least a submission can cost in the same settings and database,
reading a JSON body and inserting one row, with none of intake's checks, numbering, steps or audit."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import FloorRow


@csrf_exempt
def floor(request):
    if request.method != "POST":
        return JsonResponse({"detail": "POST only"}, status=405)
    data = json.loads(request.body)
    row = FloorRow.objects.create(name=str(data.get("full_name", ""))[:200])
    return JsonResponse({"id": row.pk}, status=201)
