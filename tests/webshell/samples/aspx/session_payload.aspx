<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README): the block below does not compile. --%>
<% DEFANGED SAMPLE does not compile %>
<%
    if (Session["payload"] == null) { Session["payload"] = LoadFrom(Request); }
    var a = (System.Reflection.Assembly)Session["payload"];
    a.CreateInstance("LY");
%>
