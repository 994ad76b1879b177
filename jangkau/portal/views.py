from django.shortcuts import render


def home(request):
    """The citizen start page: what the outreach service is, who it is for and how it works."""
    return render(request, "portal/home.html")
