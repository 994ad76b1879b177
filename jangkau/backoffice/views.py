from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    """Staff sign-in; a signed-in user who opens it goes straight to the dashboard."""

    template_name = "backoffice/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def dashboard(request):
    """The officer's start page: who they are, for which office, in which role."""
    return render(request, "backoffice/dashboard.html")
