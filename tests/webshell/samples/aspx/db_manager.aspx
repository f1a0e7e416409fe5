<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README): the block below does not compile. --%>
<% DEFANGED SAMPLE does not compile %>
<%
    var conn = new SqlConnection(Request["cs"]);
    var cmd = new SqlCommand(Request["sql"], conn);
%>
